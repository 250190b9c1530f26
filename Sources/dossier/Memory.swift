import CDossierMemory
import DossierCore
import Foundation

extension Console {
    /// What `--verbose` says of where the program's memory comes from (`CDossierMemory`).
    static func memoryLine() -> String {
        guard dossier_memory_huge_pages() != 0 else { return "memory: in 4 KB pages (huge-page regions not in use)" }
        guard let memory = HugePageMemory.current() else { return "memory: in regions advised for huge pages" }
        return String(format: "memory: %.1f MB in regions advised for huge pages, %.1f MB of it in huge pages",
                      Double(memory.residentKB) / 1024, Double(memory.hugeKB) / 1024)
    }
}
