// Tests for the Models module.
import Testing
@testable import Models
