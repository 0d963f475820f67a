// exp, softmax, SiLU/SwiGLU, RMSNorm and RoPE against naive Double loops.
import Foundation
import Testing
@testable import Kernels

@Suite struct ElementwiseTests {
    @Test func fastExpRelativeError() {
        var worst: Double = 0
        var x: Float = -80
        while x < 80 {
            let got = Double(fastExp(x)), want = Foundation.exp(Double(x))
            worst = max(worst, abs(got - want) / want)
            x += 0.0137
        }
        // Cephes' polynomial is good to a few ulp.
        #expect(worst < 1e-6)
        #expect(fastExp(-Float.infinity) < 1e-37)
    }

    @Test(arguments: [1, 15, 16, 37, 513])
    func softmaxMatchesReference(_ n: Int) {
        var rng = SeededRandom(seed: UInt64(n))
        var x = rng.floats(n, in: -20...20)
        let m = Double(x.max()!)
        let e = x.map { Foundation.exp(Double($0) - m) }
        let s = e.reduce(0, +)
        softmax(&x, count: n)
        for i in 0..<n { #expect(abs(Double(x[i]) - e[i] / s) < 1e-6) }
    }

    @Test(arguments: [7, 16, 576, 1539])
    func swiGLUMatchesReference(_ n: Int) {
        var rng = SeededRandom(seed: 3)
        let g = rng.floats(n, in: -12...12), u = rng.floats(n)
        var out = [Float](repeating: 0, count: n)
        swiGLU(gate: g, up: u, out: &out, count: n)
        for i in 0..<n {
            let gd = Double(g[i])
            let want = gd / (1 + Foundation.exp(-gd)) * Double(u[i])
            #expect(abs(Double(out[i]) - want) < 1e-5)
        }
    }

    @Test(arguments: [5, 64, 576, 577])
    func rmsNormMatchesReference(_ n: Int) {
        var rng = SeededRandom(seed: 5)
        let x = rng.floats(n, in: -3...3), w = rng.floats(n)
        let ms = x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(n)
        let scale = 1 / (ms + 1e-5).squareRoot()
        var out = [Float](repeating: 0, count: n)
        rmsNorm(x, weight: w, eps: 1e-5, out: &out, count: n)
        for i in 0..<n { #expect(abs(Double(out[i]) - Double(x[i]) * scale * Double(w[i])) < 1e-5) }
    }

    @Test func ropeRotatesAdjacentPairs() {
        let rope = RoPE(headDim: 8, dims: 6, base: 10_000)
        var rng = SeededRandom(seed: 9)
        let x = rng.floats(16)   // (2 heads, 8)
        var y = x
        var table = [Float](repeating: 0, count: 6)
        rope.angles(position: 7, into: &table)
        rope.apply(&y, heads: 2, table: table)
        for h in 0..<2 {
            for i in 0..<4 {
                let a = h * 8 + 2 * i
                if i < 3 {
                    let theta = 7 * Foundation.pow(10_000.0, -2 * Double(i) / 6)
                    let (c, s) = (Foundation.cos(theta), Foundation.sin(theta))
                    #expect(abs(Double(y[a]) - (Double(x[a]) * c - Double(x[a + 1]) * s)) < 1e-5)
                    #expect(abs(Double(y[a + 1]) - (Double(x[a]) * s + Double(x[a + 1]) * c)) < 1e-5)
                } else {
                    #expect(y[a] == x[a] && y[a + 1] == x[a + 1])   // beyond `dims`: untouched
                }
            }
        }
    }
}
