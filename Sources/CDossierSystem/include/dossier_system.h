#ifndef DOSSIER_SYSTEM_H
#define DOSSIER_SYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, -1 with errno set otherwise (for example where the
/// file system or kernel cannot exchange, when the caller falls back to renames).
int dossier_exchange_paths(const char *from, const char *to);

/// Reads entries of the folder open as `fd` into `buffer` as the kernel lays them out
/// (`struct linux_dirent64`: inode, offset, record length, type, name). Returns the bytes
/// read, 0 at the end, or -1 with errno set (ENOSYS where the system has no such call).
long dossier_read_folder(int fd, void *buffer, unsigned long size);

#endif
