/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Byte-range narration for `bgpwatchctl decode --explain`: decoders given a
 * non-NULL struct explain record, for each field they read, where it lies in
 * the message, how deep it is nested and what it means. With a NULL
 * explain every call is a no-op, so decoders call it unconditionally.
 *
 * Public: explain_init(), explain_free(), explain_add(), explain_addf(),
 *         explain_push(),
 *         explain_pop().
 */
#ifndef BGPWATCH_EXPLAIN_H
#define BGPWATCH_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

struct explain_item {
	size_t off; /* from explain.base */
	size_t len;
	int depth;
	char text[160];
};

struct explain {
	const uint8_t *base; /* first byte of the message */
	struct explain_item *items;
	size_t n, cap;
	int depth;
	int err; /* out of memory: the list is incomplete */
};

/* Start narrating a message that begins at base. */
void explain_init(struct explain *ex, const uint8_t *base);
void explain_free(struct explain *ex);
/*
 * Record that the len bytes at p mean fmt... at the current depth.
 * explain_add() is a no-op when ex is NULL, and then evaluates none of the
 * format arguments: decoding without narration pays one test per field.
 */
void explain_addf(struct explain *ex, const uint8_t *p, size_t len,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define explain_add(ex, ...)                                                   \
	do {                                                                   \
		if ((ex) != NULL)                                              \
			explain_addf((ex), __VA_ARGS__);                       \
	} while (0)
/* Enter / leave a nested structure (attribute, segment, capability). */
void explain_push(struct explain *ex);
void explain_pop(struct explain *ex);

#endif
