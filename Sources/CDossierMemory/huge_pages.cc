// tcmalloc takes memory from the system a megabyte at a time, and the kernel backs it one 4 KB
// page at a time: a cold build of 200 situations touched about 110 MB in 27,500 page faults,
// a tenth of its processor time (docs/performance.md, "Memory in huge pages"). Here tcmalloc's
// system allocator hands out 32 MB regions aligned to 2 MB and marked MADV_HUGEPAGE, which
// the kernel backs with 2 MB pages where transparent huge pages are enabled ("madvise" or
// "always", as on Debian); elsewhere the advice does nothing and pages are as before.
// DOSSIER_HUGE_PAGES=off leaves tcmalloc's own allocator in place, to compare.
#include "dossier_memory.h"

#if defined(__linux__) && __has_include(<gperftools/malloc_extension.h>)
#include <gperftools/malloc_extension.h>

#include <atomic>
#include <new>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

namespace {

constexpr size_t kHugePage = size_t(2) << 20;
constexpr size_t kRegion = size_t(32) << 20;

uintptr_t roundUp(uintptr_t value, size_t alignment) {
    return (value + alignment - 1) & ~uintptr_t(alignment - 1);
}

class HugePageRegions final : public SysAllocator {
public:
    explicit HugePageRegions(SysAllocator *fallback) : fallback_(fallback) {}

    void *Alloc(size_t size, size_t *actual, size_t alignment) override {
        if (alignment > kHugePage || size > (size_t(1) << 40)) return fallback_->Alloc(size, actual, alignment);
        if (alignment == 0) alignment = 1;
        size = roundUp(size, alignment);
        while (busy_.test_and_set(std::memory_order_acquire)) {}
        uintptr_t start = roundUp(next_, alignment);
        if (next_ == 0 || start + size > end_) {
            // A new region, larger when one request needs more; what is left of the last is
            // abandoned (never touched, so it costs address space only).
            size_t length = size > kRegion ? roundUp(size, kHugePage) : kRegion;
            void *mapped = mmap(nullptr, length + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (mapped == MAP_FAILED) {
                busy_.clear(std::memory_order_release);
                return fallback_->Alloc(size, actual, alignment);
            }
            start = roundUp(uintptr_t(mapped), kHugePage);
            madvise(reinterpret_cast<void *>(start), length, MADV_HUGEPAGE);
            end_ = start + length;
        }
        next_ = start + size;
        busy_.clear(std::memory_order_release);
        if (actual) *actual = size;
        return reinterpret_cast<void *>(start);
    }

private:
    SysAllocator *fallback_;
    std::atomic_flag busy_ = ATOMIC_FLAG_INIT;
    uintptr_t next_ = 0;
    uintptr_t end_ = 0;
};

// Never destroyed: tcmalloc may ask for memory until the process ends.
alignas(HugePageRegions) unsigned char storage[sizeof(HugePageRegions)];
bool installed = false;

// Before main, so the build's allocations all come from the regions.
__attribute__((constructor)) void install() {
    const char *setting = getenv("DOSSIER_HUGE_PAGES");
    if (setting && strcmp(setting, "off") == 0) return;
    MallocExtension *extension = MallocExtension::instance();
    SysAllocator *current = extension ? extension->GetSystemAllocator() : nullptr;
    if (!current) return;
    extension->SetSystemAllocator(new (storage) HugePageRegions(current));
    installed = true;
}

}  // namespace

int dossier_memory_huge_pages(void) { return installed ? 1 : 0; }

#else

int dossier_memory_huge_pages(void) { return 0; }

#endif
