// Libm entry points under names that do not clash with Swift's generic math.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always) func libmPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) func libmCos(_ x: Double) -> Double { cos(x) }
@inline(__always) func libmSin(_ x: Double) -> Double { sin(x) }
