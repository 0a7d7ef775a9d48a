"""One function per user operation; owns transactions and the audit trail. No Qt."""
