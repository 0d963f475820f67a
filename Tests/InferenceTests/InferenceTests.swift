// Tests for the Inference module.
import Testing
@testable import Inference
