// Chunker: token budget, overlap, boundaries, heading paths, exact spans.
import Foundation
import Testing
@testable import Indexing

@Suite struct ChunkerTests {
    let counter = ApproximateTokenCounter()

    func chunks(_ text: String, format: TextFormat = .markdown, max: Int = 60, overlap: Int = 12) throws -> [Chunk] {
        try Chunker(maxTokens: max, overlapTokens: overlap, counter: counter).chunks(of: SourceItem(text: text, format: format))
    }

    @Test(arguments: [0, 1, 2, 3])
    func budgetIsRespectedAndSpansMapBack(seed: Int) throws {
        let text = "# Handbook\n\n" + sampleSentences(20, seed: seed) + "\n\n" + sampleSentences(5, seed: seed + 7)
            + "\n\n## Details\n\n" + sampleSentences(30, seed: seed + 3)
        let scalars = Array(text.unicodeScalars)
        let result = try chunks(text)
        #expect(result.count > 4)
        for chunk in result {
            #expect(chunk.tokenCount <= 60)
            #expect(chunk.tokenCount == counter.tokenCount(Substring(chunk.text)))
            #expect(String(String.UnicodeScalarView(scalars[chunk.span])) == chunk.text)
            #expect(!chunk.text.hasPrefix(" ") && !chunk.text.hasSuffix(" "))
        }
    }

    @Test func everyWordIsCoveredAndConsecutiveChunksOverlap() throws {
        let text = sampleSentences(40, seed: 9)
        let result = try chunks(text, format: .plain)
        // Coverage: the union of spans is the whole (trimmed) text.
        var covered = 0
        for chunk in result {
            #expect(chunk.span.lowerBound <= covered)
            covered = max(covered, chunk.span.upperBound)
        }
        #expect(covered == text.unicodeScalars.count)
        // Overlap: each chunk starts before the previous one ends, by at most the overlap budget.
        for (previous, next) in zip(result, result.dropFirst()) {
            #expect(next.span.lowerBound < previous.span.upperBound)
            #expect(next.span.lowerBound > previous.span.lowerBound)
            let shared = String(String.UnicodeScalarView(Array(text.unicodeScalars)[next.span.lowerBound..<previous.span.upperBound]))
            #expect(counter.tokenCount(Substring(shared)) <= 12)
        }
    }

    @Test func noOverlapMeansDisjointChunks() throws {
        let result = try chunks(sampleSentences(40, seed: 2), format: .plain, overlap: 0)
        for (previous, next) in zip(result, result.dropFirst()) { #expect(next.span.lowerBound >= previous.span.upperBound) }
    }

    @Test func paragraphBoundaryIsPreferred() throws {
        // Two paragraphs of ~35 tokens each: a 60-token budget must cut between them, not inside one.
        let first = "Alpha beta gamma delta epsilon zeta eta theta iota kappa. Lambda mu nu xi omicron pi rho sigma tau upsilon. Phi chi psi omega one two three four five six seven eight nine ten."
        let second = "Red orange yellow green blue indigo violet black white grey. Pink brown cyan magenta teal navy olive maroon lime aqua. Silver gold bronze copper iron tin lead zinc nickel."
        let result = try chunks(first + "\n\n" + second, format: .plain, overlap: 0)
        #expect(result.map(\.text) == [first, second])
    }

    @Test func sentenceBoundaryIsPreferredOverWords() throws {
        let sentence = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen."
        let text = Array(repeating: sentence, count: 6).joined(separator: " ")
        let result = try chunks(text, format: .plain, overlap: 0)
        for chunk in result { #expect(chunk.text.hasSuffix(".")) }
    }

    @Test func headingPathsFollowMarkdownNesting() throws {
        let text = """
            # Travel Policy

            Intro text.

            ## Per diem

            Meals are covered.

            ### Abroad

            Foreign rates apply.

            ## Booking

            Use the portal.

            ```
            # not a heading inside code
            ```
            """
        let result = try chunks(text, max: 200)
        #expect(result.map(\.headingLine) == ["Travel Policy", "Travel Policy > Per diem", "Travel Policy > Per diem > Abroad",
                                              "Travel Policy > Booking"])
        #expect(result.last?.text.contains("# not a heading inside code") == true)
        #expect(result[1].text == "Meals are covered.")
    }

    @Test func setextAndRSTHeadings() throws {
        let markdown = try chunks("Title\n=====\n\nBody one.\n\nPart\n----\n\nBody two.", max: 200)
        #expect(markdown.map(\.headingLine) == ["Title", "Title > Part"])
        let rst = try chunks("=====\nGuide\n=====\n\nIntro.\n\nInstall\n-------\n\nRun it.\n\nUpgrade\n-------\n\nAgain.",
                             format: .restructuredText, max: 200)
        #expect(rst.map(\.headingLine) == ["Guide", "Guide > Install", "Guide > Upgrade"])
        #expect(rst.map(\.text) == ["Intro.", "Run it.", "Again."])
    }

    @Test func itemTitleLeadsTheHeadingPath() throws {
        let chunker = try Chunker(maxTokens: 50, overlapTokens: 0, counter: counter)
        let result = chunker.chunks(of: SourceItem(itemID: "7", title: "Doc title", text: "Plain body.", format: .plain))
        #expect(result.map(\.headingPath) == [["Doc title"]])
    }

    @Test func overLongWordsAreSplit() throws {
        let word = String(repeating: "abcdef", count: 100)  // 100 approximate tokens
        let result = try chunks("start " + word + " end", format: .plain, max: 30, overlap: 0)
        for chunk in result { #expect(chunk.tokenCount <= 30) }
        #expect(result.map(\.text).joined().replacingOccurrences(of: " ", with: "") == "start" + word + "end")
    }

    @Test func invalidSettingsAreRejected() {
        #expect(throws: IndexingError.self) { try Chunker(maxTokens: 4) }
        #expect(throws: IndexingError.self) { try Chunker(maxTokens: 100, overlapTokens: 60) }
        #expect(throws: IndexingError.self) { try Chunker(maxTokens: 100, overlapTokens: -1) }
    }

    @Test func emptyAndHeadingOnlyTextsGiveNoChunks() throws {
        #expect(try chunks("").isEmpty)
        #expect(try chunks("# Just a title\n\n## And a section\n").isEmpty)
    }
}
