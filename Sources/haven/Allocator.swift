#if canImport(Glibc)
import Glibc
#endif

/// The C allocator's settings for the server.
enum Allocator {
    /// Lets glibc keep up to `bytes` of freed memory at the top of each heap before handing it back to the system.
    ///
    /// By default it hands back anything over 128 kB as soon as it is freed, with `madvise`, and every such call makes
    /// the kernel flush the other core's address translations (an interrupt to each CPU). Under check-ins the writer
    /// thread freed and re-grew its heap once a check-in: 41,925 `madvise` calls in 8 s, 6% of that thread's time, on
    /// the thread every write waits for (PERFORMANCE.md, "Lone working"). With a threshold of a few megabytes the calls stop;
    /// the memory kept is bounded by it per heap. `mallopt` is looked up at run time because the Glibc module does not
    /// declare it; on other systems this does nothing.
    static func keepFreedMemory(upTo bytes: Int32) {
        #if os(Linux) && canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD in <malloc.h>
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(trimThreshold, bytes)
        #endif
    }
}
