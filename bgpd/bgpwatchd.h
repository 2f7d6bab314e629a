/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * What bgpwatchd's main module offers the rest of the daemon (the control
 * socket): reloading the configuration.
 *
 * Public: daemon_reload().
 */
#ifndef BGPWATCH_BGPWATCHD_H
#define BGPWATCH_BGPWATCHD_H

/*
 * Re-read the configuration file (SIGHUP, control `reload`). On any error
 * (`file:line: message` from the parser, a router id that cannot be
 * chosen, a listener that cannot be bound) everything is logged, the
 * running configuration stays, and -1 is returned; otherwise the new one
 * is applied atomically (listeners, then sessions) and 0 is returned. If
 * errors is non-NULL it receives the error text (one message per line) or
 * NULL; the caller frees it.
 */
int daemon_reload(char **errors);

#endif
