// Tests for the Tokenizers module.
import Testing
@testable import Tokenizers
