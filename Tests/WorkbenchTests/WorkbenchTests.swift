// Tests for the Workbench module.
import Testing
@testable import Workbench
