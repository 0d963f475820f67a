// libFuzzer target: the theme file reader (JSON of roles → colours and attributes).
import Foundation
import FuzzSupport
import Workbench

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTheme(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let theme = try? Theme.parse(Data(Fuzz.bytes(start, count)), path: "fuzz.json") else { return 0 }
    for role in StyleRole.allCases {
        let style = theme.style(for: role)
        for colour in [style.foreground, style.background].compactMap({ $0 }) {
            Fuzz.require((0...255).contains(colour), "role \(role) has 256-colour index \(colour)")
        }
        for colour in [style.foreground8, style.background8].compactMap({ $0 }) {
            Fuzz.require((0...7).contains(colour), "role \(role) has 8-colour index \(colour)")
        }
        _ = style.summary
    }
    _ = theme.monochrome
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzTheme_main")
public func fuzzThemeMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv)
}
