// Rotary position embedding forward and backward (Su et al. 2021, arXiv:2104.09864), in the
// adjacent-pair form llama.cpp uses for GGUF Llama weights (q/k rows are permuted on conversion).

import Foundation
import Kernels

/// cos/sin tables for positions 0..<maxPositions and head size hd.
struct RoPETable: @unchecked Sendable {
    let headDim: Int
    /// (maxPositions, hd/2)
    let cos: TrainingTensor
    /// (maxPositions, hd/2)
    let sin: TrainingTensor

    init(headDim: Int, maxPositions: Int, base: Float) {
        self.headDim = headDim
        let half = headDim / 2
        cos = TrainingTensor(count: maxPositions * half)
        sin = TrainingTensor(count: maxPositions * half)
        for p in 0..<maxPositions {
            for i in 0..<half {
                let theta = Double(p) * pow(Double(base), -2 * Double(i) / Double(headDim))
                cos.pointer[p * half + i] = Float(Foundation.cos(theta))
                sin.pointer[p * half + i] = Float(Foundation.sin(theta))
            }
        }
    }
}

enum RoPELayer {
    /// Rotates, in place, `heads` heads of size hd in each of N rows of x (row stride ld);
    /// pairs (2i, 2i+1) turn by angle positions[n]·base^(−2i/hd). `inverse` applies the
    /// transpose rotation, which is the backward pass (a rotation's Jacobian is itself).
    /// Rows are split over the pool when one is given.
    static func apply(x: UnsafeMutablePointer<Float>, ld: Int, n: Int, heads: Int,
                      positions: UnsafePointer<Int32>, table: RoPETable, inverse: Bool, pool: WorkerPool? = nil) {
        let hd = table.headDim, half = hd / 2
        let sign: Float = inverse ? -1 : 1
        SwiGLULayer.rows(n, pool) { range in
            for row in range {
                let cs = table.cos.pointer + Int(positions[row]) * half
                let sn = table.sin.pointer + Int(positions[row]) * half
                for h in 0..<heads {
                    let v = x + row * ld + h * hd
                    for i in 0..<half {
                        let a = v[2 * i], b = v[2 * i + 1], c = cs[i], s = sign * sn[i]
                        v[2 * i] = a * c - b * s
                        v[2 * i + 1] = a * s + b * c
                    }
                }
            }
        }
    }
}
