/*
 * measure - runs a command N times and prints its median wall time and its
 * peak resident memory, for `make bench`:
 *   measure N command [args...]   ->   "median_ms max_rss_kib exit_code"
 * Standard output and error of the command go to /dev/null.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: measure N command [args...]\n");
        return 2;
    }
    int n = atoi(argv[1]);
    if (n < 1 || n > 100000) n = 1;
    double *ms = malloc((size_t)n * sizeof *ms);
    long max_rss = 0;
    int code = 0;
    for (int i = 0; i < n; i++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        pid_t pid = fork();
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 1);
            dup2(null, 2);
            execvp(argv[2], argv + 2);
            _exit(127);
        }
        int status = 0;
        struct rusage ru;
        wait4(pid, &status, 0, &ru);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        ms[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        if (ru.ru_maxrss > max_rss) max_rss = ru.ru_maxrss;
        code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    }
    qsort(ms, (size_t)n, sizeof *ms, cmp);
    printf("%.3f %ld %d\n", ms[n / 2], max_rss, code);
    free(ms);
    return 0;
}
