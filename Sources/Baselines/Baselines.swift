import ConfigDiff

/// Baselines: versioned, approved, tamper-evident baselines and technical standards.
public enum BaselinesModule {}
