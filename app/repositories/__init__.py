"""Database access: policy-free queries; never commit, never know HTTP."""
