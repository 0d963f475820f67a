// Turns one file into plain text items the chunker can cut: picks a loader by extension and
// skips (with a reason, never a crash) binary, invalid UTF-8, empty or unsupported files.
import Foundation

/// How a loaded text marks its headings, so the chunker can keep heading paths.
public enum TextFormat: String, Sendable, Codable {
    /// No headings.
    case plain
    /// ATX headings (`# Title`, `## Section`); HTML headings are converted to this form.
    case markdown
    /// reStructuredText: a title line underlined (and optionally overlined) with punctuation.
    case restructuredText
}

/// One indexable unit of a file: the whole file, or one record of a BEIR corpus.
public struct SourceItem: Sendable, Equatable {
    /// The record id inside the file (BEIR `_id`); nil when the item is the whole file.
    public var itemID: String?
    /// A title to put in front of the heading path (BEIR `title`, HTML `<title>` without `<h1>`).
    public var title: String?
    /// The text; chunk spans are offsets into `text.unicodeScalars`.
    public var text: String
    public var format: TextFormat

    public init(itemID: String? = nil, title: String? = nil, text: String, format: TextFormat) {
        self.itemID = itemID
        self.title = title
        self.text = text
        self.format = format
    }
}

/// Why a file was not indexed.
public enum SkipReason: Sendable, Hashable, CustomStringConvertible {
    case unsupportedType(String)
    case binary
    case invalidUTF8
    case empty
    case tooLarge(bytes: Int)
    case unreadable(String)
    case pdfToolMissing
    case pdfFailed(String)
    case notBEIRCorpus(String)
    /// A symbolic link whose target lies outside the collection folder (not read).
    case linkOutsideCollection(target: String)

    public var description: String {
        switch self {
        case let .unsupportedType(ext): ext.isEmpty ? "unsupported type" : "unsupported type .\(ext)"
        case .binary: "binary file"
        case .invalidUTF8: "not valid UTF-8"
        case .empty: "empty"
        case let .tooLarge(bytes): "too large (\(bytes / 1_048_576) MiB; the limit is \(DocumentLoader.defaultMaxBytes / 1_048_576) MiB a file: split it)"
        case let .unreadable(why): "unreadable (\(why))"
        case .pdfToolMissing: "PDF, but pdftotext is not installed (apt-get install poppler-utils)"
        case let .pdfFailed(why): "pdftotext failed (\(why))"
        case let .notBEIRCorpus(why): "JSONL but not a BEIR corpus (\(why))"
        case let .linkOutsideCollection(target): "symbolic link to \(target), outside the collection (not followed)"
        }
    }

    /// A short label to group skipped files by in summaries.
    public var category: String {
        switch self {
        case .unsupportedType: "unsupported type"
        case .binary: "binary"
        case .invalidUTF8: "invalid UTF-8"
        case .empty: "empty"
        case .tooLarge: "too large"
        case .unreadable: "unreadable"
        case .pdfToolMissing: "pdftotext missing"
        case .pdfFailed: "pdftotext failed"
        case .notBEIRCorpus: "not a BEIR corpus"
        case .linkOutsideCollection: "link out of the collection"
        }
    }
}

/// The result of loading one file.
public enum LoadOutcome: Sendable, Equatable {
    case loaded([SourceItem])
    case skipped(SkipReason)
}

/// Loads files by extension: .txt .text .md .markdown .rst .html .htm .jsonl (BEIR corpus) .pdf.
public struct DocumentLoader: Sendable {
    /// The default per-file size cap: larger files are skipped (listed with a warning), never read.
    public static let defaultMaxBytes = 64 << 20
    /// Files larger than this are skipped.
    public var maxBytes: Int
    /// Seconds `pdftotext` may run on one file.
    public var pdfTimeout: Double

    public init(maxBytes: Int = DocumentLoader.defaultMaxBytes, pdfTimeout: Double = 30) {
        self.maxBytes = maxBytes
        self.pdfTimeout = pdfTimeout
    }

    static let textExtensions: Set<String> = ["txt", "text", ""]
    static let markdownExtensions: Set<String> = ["md", "markdown", "mdown"]
    static let htmlExtensions: Set<String> = ["html", "htm", "xhtml"]

    /// Whether the walker should look at a file with this (lower-cased) extension at all.
    public static func isCandidate(extension ext: String) -> Bool {
        textExtensions.contains(ext) || markdownExtensions.contains(ext) || htmlExtensions.contains(ext)
            || ext == "rst" || ext == "jsonl" || ext == "pdf"
    }

    /// Loads a file from disk.
    public func load(url: URL) -> LoadOutcome {
        let ext = url.pathExtension.lowercased()
        guard Self.isCandidate(extension: ext) else { return .skipped(.unsupportedType(ext)) }
        if ext == "pdf" { return PDFTextExtractor(timeout: pdfTimeout).load(url: url, maxBytes: maxBytes) }
        // The size comes from stat(2) first: an oversized file is never mapped or read.
        if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber,
           size.intValue > maxBytes {
            return .skipped(.tooLarge(bytes: size.intValue))
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            return .skipped(.unreadable(error.localizedDescription))
        }
        return load(data: data, extension: ext)
    }

    /// Loads file contents already in memory (`ext` is the lower-cased extension, no dot). Not for PDF.
    public func load(data: Data, extension ext: String) -> LoadOutcome {
        if data.count > maxBytes { return .skipped(.tooLarge(bytes: data.count)) }
        let text: String
        switch Self.decodeText(data) {
        case .success(let decoded): text = decoded
        case .failure(let reason): return .skipped(reason)
        }
        if text.unicodeScalars.allSatisfy(\.properties.isWhitespace) { return .skipped(.empty) }
        switch ext {
        case _ where Self.markdownExtensions.contains(ext):
            return .loaded([SourceItem(text: text, format: .markdown)])
        case "rst":
            return .loaded([SourceItem(text: text, format: .restructuredText)])
        case _ where Self.htmlExtensions.contains(ext):
            let page = HTMLText.extract(text)
            guard !page.text.unicodeScalars.allSatisfy(\.properties.isWhitespace) else { return .skipped(.empty) }
            return .loaded([SourceItem(title: page.title, text: page.text, format: .markdown)])
        case "jsonl":
            return BEIRCorpusReader.items(fromJSONL: text)
        case "pdf":
            return .skipped(.unsupportedType(ext))
        default:
            return .loaded([SourceItem(text: text, format: .plain)])
        }
    }

    /// Decodes UTF-8 text, refusing binary data (a NUL byte in the first 8 KiB) and invalid UTF-8.
    /// A leading byte-order mark is dropped.
    static func decodeText(_ data: Data) -> Result<String, SkipReason> {
        if data.isEmpty { return .failure(.empty) }
        if data.prefix(8192).contains(0) { return .failure(.binary) }
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.invalidUTF8) }
        return .success(text)
    }
}

extension SkipReason: Error {}
