#!/usr/bin/python3
"""Writes repository/tiny_conv/1/model.onnx: a 1x1 convolution with fixed weights, the test model of
the embedded ONNX Runtime backend (io.spoils.gateway.backend tests).

  y[n, o, r, c] = sum_k W[o][k] * x[n, k, r, c] + B[o]

Input "x" FP32 [N, 2, H, W], output "y" FP32 [N, 3, H, W]; batch, rows and columns dynamic.
W and B are repeated in OnnxRuntimeBackendTest, which checks the outputs against this function.
Run with Debian's interpreter (torch 1.13): /usr/bin/python3 generate_tiny_conv.py
"""
import os

import torch

W = [[1.0, 2.0], [-1.0, 0.5], [0.0, 3.0]]
B = [0.5, -1.0, 2.0]
HERE = os.path.dirname(os.path.abspath(__file__))


def main():
  conv = torch.nn.Conv2d(2, 3, kernel_size=1)
  with torch.no_grad():
    conv.weight.copy_(torch.tensor(W).reshape(3, 2, 1, 1))
    conv.bias.copy_(torch.tensor(B))
  conv.eval()
  out = os.path.join(HERE, "repository", "tiny_conv", "1", "model.onnx")
  torch.onnx.export(conv, torch.zeros(1, 2, 4, 4), out, input_names=["x"], output_names=["y"],
                    dynamic_axes={"x": {0: "batch", 2: "rows", 3: "cols"},
                                  "y": {0: "batch", 2: "rows", 3: "cols"}},
                    opset_version=13)


if __name__ == "__main__":
  main()
