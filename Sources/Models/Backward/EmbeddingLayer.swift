// Token embedding lookup, forward and backward side by side (llm.c `encoder_forward/backward`,
// without learned positions: Llama encodes position with RoPE inside attention).

enum EmbeddingLayer {
    /// out (N, C) = table (V, C) rows picked by tokens (N).
    static func forward(out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>,
                        table: UnsafePointer<Float>, n: Int, c: Int) {
        for i in 0..<n {
            (out + i * c).update(from: table + Int(tokens[i]) * c, count: c)
        }
    }

    /// dTable (V, C) += dOut (N, C) scattered by tokens (N). The training model keeps the
    /// embedding frozen and never calls this; the gradient check does.
    static func backward(dTable: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>,
                         tokens: UnsafePointer<Int32>, n: Int, c: Int) {
        for i in 0..<n {
            let row = dTable + Int(tokens[i]) * c
            let d = dOut + i * c
            for j in 0..<c { row[j] += d[j] }
        }
    }
}
