// libFuzzer target: the safetensors reader (header JSON, dtypes, shapes, offsets) and f32 conversion.
import FuzzSupport
import ModelFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = Fuzz.bytes(start, count)
    guard let file = try? SafetensorsFile(bytes: bytes) else { return 0 }
    for name in file.tensors.keys {
        guard let info = try? file.info(name) else { continue }
        let data = file.bytes(of: info)
        Fuzz.require(data.count <= bytes.count, "tensor \(name) claims \(data.count) bytes of a \(bytes.count)-byte file")
        if let values = try? file.floats(name) {
            Fuzz.require(values.count == info.elementCount, "floats(\(name)) gave \(values.count) of \(info.elementCount)")
        }
    }
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzSafetensors_main")
public func fuzzSafetensorsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv)
}
