/*
 * slow_fsync: makes every fsync and fdatasync of a process take longer, to see how group commit behaves on a
 * disk slower than the one at hand. The ratio haven-bench measures is roughly the number of records that share
 * one fsync, so it depends on what an fsync costs; this machine's virtual disk syncs in 0.15 to 0.35 ms, where an
 * SSD without power-loss protection or a network volume commonly takes from about 0.5 ms to several. Each sync still happens (nothing written is
 * less durable); the process then sleeps SLOW_FSYNC_MICROSECONDS more, as it would waiting on a slower device.
 * Both runs of haven-bench, and its fsync probe, go through it alike.
 *
 *   cc -O2 -shared -fPIC -o /tmp/slow_fsync.so bench/slow_fsync.c -ldl
 *   SLOW_FSYNC_MICROSECONDS=1000 LD_PRELOAD=/tmp/slow_fsync.so .build-bench/release/haven-bench --dir /work/benchdb
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <time.h>

static long extra_microseconds(void) {
    static long value = -1;  /* read once; a race between threads only reads it twice */
    if (value < 0) {
        const char *text = getenv("SLOW_FSYNC_MICROSECONDS");
        long parsed = text ? atol(text) : 0;
        value = parsed > 0 ? parsed : 0;
    }
    return value;
}

static void wait_extra(void) {
    long us = extra_microseconds();
    if (us > 0) {
        struct timespec pause = { us / 1000000, (us % 1000000) * 1000 };
        nanosleep(&pause, NULL);
    }
}

/* Looks the C library's own function up once, calls it, then waits. */
static int sync_then_wait(int (**real)(int), const char *name, int fd) {
    if (!*real) *real = (int (*)(int))dlsym(RTLD_NEXT, name);
    int result = (*real)(fd);
    int saved = errno;  /* the caller (SQLite) reads why a sync failed; the wait must not change it */
    wait_extra();
    errno = saved;
    return result;
}

int fsync(int fd) {
    static int (*real)(int);
    return sync_then_wait(&real, "fsync", fd);
}

int fdatasync(int fd) {
    static int (*real)(int);
    return sync_then_wait(&real, "fdatasync", fd);
}
