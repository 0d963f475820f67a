// libFuzzer target: the .rst document loader followed by the chunker.
import FuzzIndexingSupport
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLoaderRST(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    LoaderHarness.run(Fuzz.bytes(start, count), extension: "rst")
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzLoaderRST_main")
public func fuzzLoaderRSTMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv)
}
