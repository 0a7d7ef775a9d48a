"""Media access without Qt: probing, fingerprints, generated clips."""
