/*
 * replay.c - runs a fuzz target's LLVMFuzzerTestOneInput on files, without
 * libFuzzer: the saved crash inputs replayed by the ordinary build (and by
 * its ASan+UBSan build) in `make hostile`.
 *
 *   replay_parse FILE...     replay_probe FILE...
 *
 * Exits 0 when every input ran; a crash, an abort or a sanitizer report
 * ends it as it would end probe. Prints "replayed N inputs".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return 1; }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *p = realloc(buf, cap);
            if (!p) { free(buf); fclose(f); fprintf(stderr, "%s: out of memory\n", path); return 1; }
            buf = p;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { free(buf); fprintf(stderr, "%s: read error\n", path); return 1; }
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    int failed = 0;
    for (int i = 1; i < argc; i++) failed |= replay(argv[i]);
    printf("replayed %d inputs\n", argc - 1);
    return failed;
}
