#ifndef DOSSIER_SYSTEM_H
#define DOSSIER_SYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, -1 with errno set otherwise (for example where the
/// file system or kernel cannot exchange, when the caller falls back to renames).
int dossier_exchange_paths(const char *from, const char *to);

#endif
