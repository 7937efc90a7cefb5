"""One small module per task: what a network must output and how it is scored."""
