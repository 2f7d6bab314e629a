/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The control socket of bgpwatchd: a Unix-domain stream socket where
 * bgpwatchctl (or any program) sends one JSON request per line and reads
 * JSON lines back, the last one an end marker or an error. Large answers
 * are streamed under back-pressure so no client can stall the sessions.
 * The protocol is documented in bgpwatchctl(8), PROTOCOL.
 *
 * Public: control_init(), control_shutdown().
 */
#ifndef BGPWATCH_CONTROL_H
#define BGPWATCH_CONTROL_H

struct event_base;

/*
 * Create the control socket at path and accept clients on base. Call it
 * after the configuration is loaded and before privileges are dropped. A
 * file already at path is replaced only when it is a socket nothing
 * listens on (a connection attempt is refused); any other file, or a
 * socket with a live listener, is an error. The socket gets mode 0660;
 * with user non-NULL and non-empty (the `user` bgpwatchd switches to) it
 * is chowned to that user and its primary group. Returns 0, or -1 with
 * the reason logged (a startup error: the caller exits).
 */
int control_init(struct event_base *base, const char *path, const char *user);
/*
 * Close every client (answers in progress are cut off), stop listening
 * and remove the socket file if it is still the one control_init() made
 * (after a privilege drop that may fail; the next start replaces it).
 */
void control_shutdown(void);

#endif
