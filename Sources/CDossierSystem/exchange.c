#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#if defined(__linux__)
#include <dirent.h>
#endif
#include "dossier_system.h"

int dossier_exchange_paths(const char *from, const char *to) {
#if defined(__linux__) && defined(RENAME_EXCHANGE)
    return renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE);
#else
    (void)from;
    (void)to;
    errno = ENOSYS;
    return -1;
#endif
}

long dossier_read_folder(int fd, void *buffer, unsigned long size) {
#if defined(__linux__)
    return (long)getdents64(fd, buffer, size);
#else
    (void)fd;
    (void)buffer;
    (void)size;
    errno = ENOSYS;
    return -1;
#endif
}
