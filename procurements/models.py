"""The procurement aggregate: challenge, rules, criteria, Q&A, notices (issue: publishing)."""
