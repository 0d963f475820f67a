// Tests for the Indexing module.
import Testing
@testable import Indexing
