// `parallax tokenize TEXT`: the token ids the generator's tokenizer gives a text (or a chat prompt).
import ArgumentParser
import Foundation
import ModelFiles
import Tokenizers

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of a text with the generator's tokenizer.",
        discussion: """
            The text is plain text: "<|im_end|>" typed here is encoded as characters, never as the
            control token. With --chat the text becomes a user message rendered with the model's
            chat template (ChatML), special tokens included, ending with the assistant header.
            """)

    @Argument(help: "The text to tokenize.")
    var text: String?

    @Option(help: "Read the text from this UTF-8 file instead.")
    var file: String?

    @Flag(help: "Render TEXT as a user turn of a chat (with the generation prompt) first.")
    var chat = false

    @Option(help: "System prompt for --chat (default: the one in the model's template).")
    var system: String?

    @Flag(help: "Print one line per token: id and the text it stands for.")
    var pieces = false

    @Option(help: "A GGUF model file (default: the cached SmolLM2-135M-Instruct).")
    var model: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        if (text == nil) == (file == nil) { throw ValidationError("Give either TEXT or --file PATH.") }
    }

    func run() throws {
        let text: String
        if let file {
            guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("Cannot read \(file) as UTF-8 text.")
            }
            text = contents
        } else {
            text = self.text ?? ""
        }
        let url = model.map { URL(fileURLWithPath: $0) } ?? ModelCache().generatorURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ValidationError("No model file at \(url.path). Run `make models` to fetch the default model, or pass --model PATH.")
        }
        let tokenizer = try BPETokenizer(gguf: GGUFFile(url: url))
        let ids: [Int]
        var rendered: String?
        if chat {
            let template = try ChatTemplate(tokenizer: tokenizer)
            let prompt = template.prompt(user: text, systemPrompt: system)
            ids = prompt.ids
            rendered = prompt.text
        } else {
            ids = tokenizer.encode(text)
        }

        if json {
            var object: [String: Any] = ["ids": ids, "count": ids.count,
                                         "pieces": ids.map { tokenizer.decode([$0], includeSpecial: true) }]
            if let rendered { object["rendered"] = rendered }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else if pieces {
            for id in ids {
                let piece = tokenizer.decode([id], includeSpecial: true)
                print("\(id)\t\(piece.debugDescription)")
            }
        } else {
            print(ids.map(String.init).joined(separator: " "))
        }
    }
}
