/* commit_tracker.c - see include/commit_tracker.h. */
#include "commit_tracker.h"

#include <stdlib.h>

struct ct_ticket {
    struct ct_ticket *next;   /* next ticket of the same partition, in offset order */
    struct ct_part *part;     /* NULL once orphaned by a revoke */
    int64_t offset;
    uint32_t pending;         /* acks outstanding + 1 while guarded */
    bool guarded;             /* ct_end not called yet */
    bool failed;
};

typedef struct ct_part {
    struct ct_part *next;
    int32_t partition;
    ct_ticket *head, *tail;
    int64_t safe;      /* next offset after the last safe message, -1 if none yet */
    int64_t committed; /* last committed offset, -1 if none */
    bool poisoned;
} ct_part;

struct commit_tracker {
    ct_part *parts;
    size_t pending, open;
    bool failed;
};

commit_tracker *ct_new(void) { return calloc(1, sizeof(commit_tracker)); }

static void free_tickets(ct_ticket *t)
{
    while (t) {
        ct_ticket *n = t->next;
        free(t);
        t = n;
    }
}

void ct_free(commit_tracker *ct)
{
    if (!ct)
        return;
    ct_part *p = ct->parts;
    while (p) {
        ct_part *n = p->next;
        free_tickets(p->head);
        free(p);
        p = n;
    }
    /* orphans are owned by in-flight producer messages; the worker only
     * frees the tracker after the producer has been destroyed */
    free(ct);
}

static ct_part *find_part(commit_tracker *ct, int32_t partition, bool create)
{
    for (ct_part *p = ct->parts; p; p = p->next)
        if (p->partition == partition)
            return p;
    if (!create)
        return NULL;
    ct_part *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->partition = partition;
    p->safe = p->committed = -1;
    p->next = ct->parts;
    ct->parts = p;
    return p;
}

/* Pops completed tickets from the head; the safe offset follows them. */
static void advance(commit_tracker *ct, ct_part *p)
{
    while (p->head && p->head->pending == 0 && !p->poisoned) {
        ct_ticket *t = p->head;
        if (t->failed) {
            p->poisoned = true;
            break;
        }
        p->safe = t->offset + 1;
        p->head = t->next;
        if (!p->head)
            p->tail = NULL;
        ct->open--;
        free(t);
    }
}

ct_ticket *ct_begin(commit_tracker *ct, int32_t partition, int64_t offset)
{
    ct_part *p = find_part(ct, partition, true);
    ct_ticket *t = p ? calloc(1, sizeof *t) : NULL;
    if (!t)
        return NULL;
    t->part = p;
    t->offset = offset;
    t->pending = 1; /* the guard */
    t->guarded = true;
    if (p->tail)
        p->tail->next = t;
    else
        p->head = t;
    p->tail = t;
    ct->open++;
    return t;
}

void ct_add_pending(commit_tracker *ct, ct_ticket *t)
{
    t->pending++;
    ct->pending++;
}

static void settle(commit_tracker *ct, ct_ticket *t)
{
    if (t->part) {
        advance(ct, t->part);
    } else if (t->pending == 0) {
        free(t); /* an orphan whose last ack arrived */
    }
}

void ct_ack(commit_tracker *ct, ct_ticket *t, bool ok)
{
    if (!ok) {
        t->failed = true;
        ct->failed = true;
    }
    if (t->pending)
        t->pending--;
    if (ct->pending)
        ct->pending--;
    settle(ct, t);
}

void ct_end(commit_tracker *ct, ct_ticket *t)
{
    t->guarded = false;
    t->pending--;
    settle(ct, t);
}

size_t ct_collect(commit_tracker *ct, ct_commit *out, size_t max)
{
    size_t n = 0;
    for (ct_part *p = ct->parts; p && n < max; p = p->next)
        if (p->safe > p->committed)
            out[n++] = (ct_commit){p->partition, p->safe};
    return n;
}

int64_t ct_safe_offset(commit_tracker *ct, int32_t partition)
{
    ct_part *p = find_part(ct, partition, false);
    return p && p->safe > p->committed ? p->safe : -1;
}

void ct_mark_committed(commit_tracker *ct, int32_t partition, int64_t offset)
{
    ct_part *p = find_part(ct, partition, false);
    if (p && offset > p->committed)
        p->committed = offset;
}

void ct_revoke(commit_tracker *ct, int32_t partition)
{
    ct_part **pp = &ct->parts;
    while (*pp && (*pp)->partition != partition)
        pp = &(*pp)->next;
    ct_part *p = *pp;
    if (!p)
        return;
    *pp = p->next;
    ct_ticket *t = p->head;
    while (t) {
        ct_ticket *n = t->next;
        ct->open--;
        if (t->guarded) {
            /* its remaining records will never be produced: drop the guard */
            t->guarded = false;
            t->pending--;
        }
        if (t->pending == 0) {
            free(t);
        } else {
            t->part = NULL; /* orphan: freed by its last ack */
            t->next = NULL;
        }
        t = n;
    }
    free(p);
}

int32_t ct_ticket_partition(const ct_ticket *t) { return t->part ? t->part->partition : -1; }

size_t ct_pending(const commit_tracker *ct) { return ct->pending; }
size_t ct_open_messages(const commit_tracker *ct) { return ct->open; }
bool ct_failed(const commit_tracker *ct) { return ct->failed; }
