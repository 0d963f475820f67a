// Tests for the Evaluation module.
import Testing
@testable import Evaluation
