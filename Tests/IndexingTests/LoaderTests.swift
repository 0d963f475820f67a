// Loaders: each file type, and the reasons files are skipped.
import Foundation
import Testing
@testable import Indexing

@Suite struct LoaderTests {
    let loader = DocumentLoader()

    @Test func plainTextIsKeptVerbatim() throws {
        let text = "Line one.\r\n\nLine two — ünïcode.\n"
        #expect(loader.load(data: Data(text.utf8), extension: "txt") == .loaded([SourceItem(text: text, format: .plain)]))
    }

    @Test func markdownAndRSTKeepTheirFormat() throws {
        guard case .loaded(let md) = loader.load(data: Data("# T\n\nBody".utf8), extension: "md") else { Issue.record("md"); return }
        #expect(md.first?.format == .markdown)
        guard case .loaded(let rst) = loader.load(data: Data("Title\n=====\n\nBody".utf8), extension: "rst") else { Issue.record("rst"); return }
        #expect(rst.first?.format == .restructuredText)
    }

    @Test func byteOrderMarkIsDropped() {
        let data = Data([0xEF, 0xBB, 0xBF] + Array("hello".utf8))
        #expect(loader.load(data: data, extension: "txt") == .loaded([SourceItem(text: "hello", format: .plain)]))
    }

    @Test func htmlTagsStrippedScriptsDroppedEntitiesDecoded() throws {
        let html = """
            <!DOCTYPE html><html><head><title>Ignored title</title><style>p { color: red }</style></head>
            <body><h1>Returns &amp; Refunds</h1><!-- hidden comment -->
            <p>Items can be returned within <b>30&nbsp;days</b>. Price&#58; &#x20AC;5 &lt;net&gt;</p>
            <script>var x = "<p>not text</p>";</script>
            <h2>Exceptions</h2><ul><li>Opened software</li><li>Gift cards</li></ul></body></html>
            """
        guard case .loaded(let items) = loader.load(data: Data(html.utf8), extension: "html"), let item = items.first else {
            Issue.record("html not loaded"); return
        }
        #expect(item.format == .markdown)
        #expect(item.title == nil)  // the page has an <h1>
        #expect(item.text.contains("# Returns & Refunds"))
        #expect(item.text.contains("Items can be returned within 30 days. Price: €5 <net>"))
        #expect(item.text.contains("## Exceptions"))
        #expect(item.text.contains("Opened software\nGift cards"))
        #expect(!item.text.contains("color"))
        #expect(!item.text.contains("not text"))
        #expect(!item.text.contains("hidden comment"))
    }

    @Test func htmlTitleIsUsedWithoutH1() throws {
        let html = "<html><head><title>Price list</title></head><body><p>Widget: 4 EUR</p></body></html>"
        guard case .loaded(let items) = loader.load(data: Data(html.utf8), extension: "htm") else { Issue.record("htm"); return }
        #expect(items.first?.title == "Price list")
        #expect(items.first?.text == "Widget: 4 EUR")
    }

    @Test func beirCorpusLinesBecomeItems() throws {
        let jsonl = """
            {"_id": "d1", "title": "Alpha", "text": "First document."}

            {"_id": 2, "title": "", "text": "Second document."}
            not json
            {"title": "no id", "text": "x"}
            """
        guard case .loaded(let items) = loader.load(data: Data(jsonl.utf8), extension: "jsonl") else { Issue.record("jsonl"); return }
        #expect(items == [SourceItem(itemID: "d1", title: "Alpha", text: "First document.", format: .plain),
                          SourceItem(itemID: "2", title: nil, text: "Second document.", format: .plain)])
    }

    @Test func jsonlWithoutRecordsIsSkipped() {
        guard case .skipped(let reason) = loader.load(data: Data("{\"a\": 1}\n".utf8), extension: "jsonl") else {
            Issue.record("should skip"); return
        }
        #expect(reason.category == "not a BEIR corpus")
    }

    @Test(arguments: [
        (Data([0x68, 0x69, 0x00, 0x01]), "binary"),
        (Data([0x68, 0xC3, 0x28, 0x69]), "invalid UTF-8"),
        (Data(), "empty"),
        (Data("  \n\t \n".utf8), "empty"),
    ])
    func badFilesAreSkippedWithAReason(data: Data, category: String) {
        guard case .skipped(let reason) = loader.load(data: data, extension: "txt") else {
            Issue.record("expected a skip"); return
        }
        #expect(reason.category == category)
    }

    @Test func unsupportedAndOversizedFilesAreSkipped() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("image.png", Data([0x89, 0x50]))
        #expect(loader.load(url: folder.url.appendingPathComponent("image.png")) == .skipped(.unsupportedType("png")))
        let small = DocumentLoader(maxBytes: 4)
        #expect(small.load(data: Data("hello".utf8), extension: "txt") == .skipped(.tooLarge(bytes: 5)))
    }

    @Test func pdfTextComesFromPdftotext() throws {
        guard PDFTextExtractor.toolURL() != nil else {
            print("pdftotext is not installed; skipping the PDF loader test")
            return
        }
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("hello.pdf", Data(minimalPDF(text: "Hello from Parallax PDF").utf8))
        let outcome = loader.load(url: folder.url.appendingPathComponent("hello.pdf"))
        guard case .loaded(let items) = outcome else { Issue.record("pdf: \(outcome)"); return }
        #expect(items.first?.text.contains("Hello from Parallax PDF") == true)

        try folder.write("broken.pdf", Data("%PDF-1.4 garbage".utf8))
        guard case .skipped(let reason) = loader.load(url: folder.url.appendingPathComponent("broken.pdf")) else {
            Issue.record("broken pdf should be skipped"); return
        }
        #expect(reason.category == "pdftotext failed" || reason.category == "empty")
    }

    /// A one-page PDF 1.4 with correct cross-reference offsets.
    func minimalPDF(text: String) -> String {
        let stream = "BT /F1 18 Tf 72 720 Td (\(text)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(body)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { pdf += String(format: "%010d 00000 n \n", offset) }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return pdf
    }
}
