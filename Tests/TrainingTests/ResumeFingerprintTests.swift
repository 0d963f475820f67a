// The settings fingerprint a checkpoint carries: stable JSON, blind to the settings a resumed run
// may change, and still matching checkpoints written with the older description form.
import Foundation
import Testing
@testable import Training

@Suite("Resume fingerprint")
struct ResumeFingerprintTests {
    @Test func fingerprintIsSortedJSONOfTheSettingsThatMatter() throws {
        var settings = TrainingSettings()
        let fingerprint = settings.resumeFingerprint()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(fingerprint.utf8)) as? [String: Any])
        #expect(object["rank"] as? Int == 8 && object["seqLen"] as? Int == 256)
        #expect(fingerprint.range(of: #"^\{"allTokens":"#, options: .regularExpression) != nil, "\(fingerprint)")
        // Checkpoint interval and strictness may change on resume; the rank may not.
        settings.checkpointEvery = 7
        settings.strict = true
        #expect(settings.resumeFingerprint() == fingerprint)
        settings.rank = 4
        #expect(settings.resumeFingerprint() != fingerprint)
        #expect(!TrainingSettings().matchesResumeFingerprint(settings.resumeFingerprint()))
    }

    @Test func checkpointsWithTheOlderFingerprintStillMatch() {
        var settings = TrainingSettings()
        settings.dropout = 0.1
        var saved = settings
        saved.checkpointEvery = 0
        saved.strict = false
        let legacy = "\(saved)"  // what checkpoints written before the JSON form hold
        #expect(legacy.hasPrefix("TrainingSettings(rank: 8"))
        #expect(settings.matchesResumeFingerprint(legacy))
        settings.dropout = 0.2
        #expect(!settings.matchesResumeFingerprint(legacy))
    }
}
