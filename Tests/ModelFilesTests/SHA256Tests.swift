// SHA-256 against the FIPS 180-4 test vectors, whole and in uneven pieces.
import Foundation
import Testing
@testable import ModelFiles

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }

    @Test func millionAsInUnevenPieces() {
        var hasher = SHA256()
        var remaining = 1_000_000
        var piece = 1
        while remaining > 0 {
            let n = min(piece, remaining)
            hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: n))
            remaining -= n
            piece = piece % 997 + 13
        }
        #expect(hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func modelCacheFollowsEnvironment() {
        #expect(ModelCache(environment: ["PARALLAX_MODELS": "/m"]).root.path == "/m")
        #expect(ModelCache(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]).root.path == "/x/parallax/models")
        #expect(ModelCache(environment: ["HOME": "/h"]).root.path == "/h/.cache/parallax/models")
    }
}
