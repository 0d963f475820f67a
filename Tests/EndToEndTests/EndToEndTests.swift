// End-to-end tests: the real `parallax` binary, as a user runs it.
import Foundation
import Testing
