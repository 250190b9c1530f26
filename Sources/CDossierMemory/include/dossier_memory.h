#ifndef DOSSIER_MEMORY_H
#define DOSSIER_MEMORY_H

#ifdef __cplusplus
extern "C" {
#endif

/// Whether the allocator takes its memory from the system in regions the kernel may back with
/// transparent huge pages (see huge_pages.cc); false where tcmalloc is not used, or when
/// DOSSIER_HUGE_PAGES=off.
int dossier_memory_huge_pages(void);

#ifdef __cplusplus
}
#endif

#endif
