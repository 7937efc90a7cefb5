"""The engine of Neural Playground: presets, layers and shapes, data, tasks, trainer.

Nothing here imports Qt or pyqtgraph (a test checks it in a fresh process): the CLI, the GUI and
scripts all drive the same code.
"""
