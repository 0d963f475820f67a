// Tests for the Training module.
import Testing
@testable import Training
