#!/usr/bin/python3
"""Writes repository/slow_chain/1/model.onnx: a long chain of x <- tanh(x @ x) on 512 x 512 matrices,
slow enough (seconds on one thread) for the deadline and queue tests of the embedded ONNX Runtime
backend: ONNX Runtime checks its terminate flag between nodes, so a run stops soon after the
deadline. No weights, so the file stays small.

Input "x" FP32 [N, 512, 512], output "y" FP32 [N, 512, 512], batch dynamic.
Run with Debian's interpreter: /usr/bin/python3 generate_slow_chain.py
"""
import os

import onnx
from onnx import TensorProto, helper

NODES = 1500
SIZE = 512
HERE = os.path.dirname(os.path.abspath(__file__))


def main():
  nodes = []
  previous = "x"
  for i in range(NODES):
    product, bounded = f"m{i}", ("y" if i == NODES - 1 else f"t{i}")
    nodes.append(helper.make_node("MatMul", [previous, previous], [product]))
    nodes.append(helper.make_node("Tanh", [product], [bounded]))
    previous = bounded
  shape = ["batch", SIZE, SIZE]
  graph = helper.make_graph(nodes, "slow_chain",
                            [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
                            [helper.make_tensor_value_info("y", TensorProto.FLOAT, shape)])
  model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                            producer_name="spoils-tests")
  model.ir_version = 8
  onnx.checker.check_model(model)
  out = os.path.join(HERE, "repository", "slow_chain", "1", "model.onnx")
  os.makedirs(os.path.dirname(out), exist_ok=True)
  onnx.save(model, out)


if __name__ == "__main__":
  main()
