"""The export formats, declared without PyTorch: what each is called and what it is for.

The export dialog lists them while the window starts, before PyTorch has loaded (it loads on the
training thread after the first paint); :mod:`playground.core.export` does the writing.
"""

from __future__ import annotations

FORMATS = {
    "state_dict": ("PyTorch state dict (.pt)", "Weights for model.load_state_dict() in your own PyTorch code."),
    "safetensors": ("safetensors (.safetensors)", "The same weights in a safe, fast format any framework reads."),
    "torchscript": ("TorchScript (.pt)", "The network with its code, loadable with torch.jit.load() without "
                    "this app (C++ too)."),
    "onnx": ("ONNX (.onnx)", "A portable graph for onnxruntime, Netron, TensorRT and other frameworks."),
    "python": ("Python code (folder)", "Readable PyTorch: model.py defining the network, train.py reproducing "
               "the run (also under torchrun), data and weights."),
}
SUFFIXES = {"state_dict": ".pt", "safetensors": ".safetensors", "torchscript": ".pt", "onnx": ".onnx", "python": ""}
TOLERANCE = 1e-4
