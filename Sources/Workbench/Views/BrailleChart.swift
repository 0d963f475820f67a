// Line charts drawn with Unicode braille patterns (2×4 dots per cell), for the live loss curves.

/// Plots series of points into braille cells.
public enum BrailleChart {
    /// Dot bit for (column 0–1, row 0–3) inside a braille cell (Unicode braille pattern numbering).
    static let bits: [[UInt32]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

    /// Renders `series` (each with its role) into `width × height` cells sharing one y range;
    /// a cell takes the role of the last series that put a dot in it.
    public static func render(_ series: [(points: [ChartPoint], role: StyleRole)], width: Int, height: Int,
                              xRange: ClosedRange<Double>? = nil) -> [[(Character, StyleRole)]] {
        guard width > 0, height > 0 else { return [] }
        var dots = Array(repeating: Array(repeating: UInt32(0), count: width), count: height)
        var roles = Array(repeating: Array(repeating: StyleRole.dim, count: width), count: height)
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        if let minY = all.map(\.y).min(), let maxY = all.map(\.y).max() {
            let minX = xRange?.lowerBound ?? all.map(\.x).min() ?? 0
            let maxX = xRange?.upperBound ?? all.map(\.x).max() ?? 1
            let spanX = max(maxX - minX, 1e-9), spanY = max(maxY - minY, 1e-9)
            let dotsWide = width * 2, dotsHigh = height * 4
            for (points, role) in series {
                var previous: (Int, Int)?
                for point in points where point.x.isFinite && point.y.isFinite {
                    let dx = Int(((point.x - minX) / spanX * Double(dotsWide - 1)).rounded())
                    let dy = Int(((maxY - point.y) / spanY * Double(dotsHigh - 1)).rounded())
                    let current = (min(max(0, dx), dotsWide - 1), min(max(0, dy), dotsHigh - 1))
                    // Join consecutive points so the curve reads as a line.
                    let steps = previous.map { max(abs(current.0 - $0.0), abs(current.1 - $0.1)) } ?? 0
                    for step in 0...steps {
                        let t = steps == 0 ? 1.0 : Double(step) / Double(steps)
                        let px = previous.map { Int((Double($0.0) + Double(current.0 - $0.0) * t).rounded()) } ?? current.0
                        let py = previous.map { Int((Double($0.1) + Double(current.1 - $0.1) * t).rounded()) } ?? current.1
                        dots[py / 4][px / 2] |= bits[py % 4][px % 2]
                        roles[py / 4][px / 2] = role
                    }
                    previous = current
                }
            }
        }
        return (0..<height).map { row in
            (0..<width).map { column in
                let value = dots[row][column]
                let character = value == 0 ? Character(" ") : Character(Unicode.Scalar(0x2800 + value) ?? " ")
                return (character, roles[row][column])
            }
        }
    }
}
