"""DeepLabV3+ for the spine_segmentation model (see ../CONTRACT.md).

ASPP on output-stride-16 encoder features, a decoder that fuses stride-4 low-level features, and a
1x1 classifier; logits are upsampled bilinearly to the input size. Two encoders:
  * ``mobilenet_v3``: torchvision mobilenet_v3_large features (dilated last stage -> stride 16),
    with depthwise-separable ASPP/decoder convs of 128 channels (light: ~4.5 M parameters).
  * ``resnet50``: torchvision resnet50 with a dilated layer4 (stride 16), as in the source paper
    (DeepLabV3+/ResNet50); ASPP/decoder with 256 channels, plain convolutions.
Both take one grey channel: the first convolution is replaced by a 1-channel one, and no pretrained
weights are used (none can be downloaded here; everything is trained from scratch).

Input  ``image``  float32 [N, 1, H, W] (z-scored, H and W multiples of 16; 320 x 256 in SPOILS).
Output ``logits`` float32 [N, num_classes, H, W].
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models import mobilenet_v3_large, resnet50

ENCODERS = ("mobilenet_v3", "resnet50")


def conv_bn_relu(cin: int, cout: int, k: int = 3, dilation: int = 1, separable: bool = False) -> nn.Sequential:
    """k x k convolution (optionally depthwise-separable) + BatchNorm + ReLU, 'same' padding."""
    pad = dilation * (k // 2)
    if separable and k > 1:
        return nn.Sequential(
            nn.Conv2d(cin, cin, k, padding=pad, dilation=dilation, groups=cin, bias=False),
            nn.BatchNorm2d(cin), nn.ReLU(inplace=True),
            nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=pad, dilation=dilation, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class ASPP(nn.Module):
    """Atrous spatial pyramid pooling: 1x1, three dilated 3x3 branches and image pooling."""

    def __init__(self, cin: int, ch: int, rates=(6, 12, 18), separable: bool = False):
        super().__init__()
        self.branches = nn.ModuleList([conv_bn_relu(cin, ch, 1)] +
                                      [conv_bn_relu(cin, ch, 3, r, separable) for r in rates])
        # No BatchNorm after the pooled 1x1 conv: with batch 1 at 1x1 spatial it is degenerate.
        self.pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(cin, ch, 1), nn.ReLU(inplace=True))
        self.project = nn.Sequential(conv_bn_relu(ch * (len(rates) + 2), ch, 1), nn.Dropout(0.1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outs = [b(x) for b in self.branches]
        pooled = self.pool(x).expand(-1, -1, x.shape[-2], x.shape[-1])
        return self.project(torch.cat(outs + [pooled], dim=1))


class _MobileNetEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        feats = mobilenet_v3_large(weights=None, dilated=True).features
        first = feats[0][0]
        feats[0][0] = nn.Conv2d(1, first.out_channels, first.kernel_size, first.stride,
                                first.padding, bias=False)
        self.low = feats[:4]     # stride 4, 24 channels
        self.high = feats[4:]    # stride 16 (last stage dilated), 960 channels
        self.low_channels, self.high_channels = 24, 960

    def forward(self, x):
        low = self.low(x)
        return low, self.high(low)


class _ResNetEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        net = resnet50(weights=None, replace_stride_with_dilation=[False, False, True])
        net.conv1 = nn.Conv2d(1, 64, 7, 2, 3, bias=False)
        self.stem = nn.Sequential(net.conv1, net.bn1, net.relu, net.maxpool)
        self.layer1 = net.layer1                                   # stride 4, 256 channels
        self.rest = nn.Sequential(net.layer2, net.layer3, net.layer4)  # stride 16, 2048 channels
        self.low_channels, self.high_channels = 256, 2048

    def forward(self, x):
        low = self.layer1(self.stem(x))
        return low, self.rest(low)


class DeepLabV3Plus(nn.Module):
    """DeepLabV3+ with output stride 16; see the module docstring for shapes."""

    def __init__(self, encoder: str = "mobilenet_v3", num_classes: int = 4):
        super().__init__()
        if encoder == "mobilenet_v3":
            self.encoder, ch, sep, low_ch = _MobileNetEncoder(), 128, True, 32
        elif encoder == "resnet50":
            self.encoder, ch, sep, low_ch = _ResNetEncoder(), 256, False, 48
        else:
            raise ValueError(f"unknown encoder {encoder!r}; expected one of {ENCODERS}")
        self.encoder_name = encoder
        self.aspp = ASPP(self.encoder.high_channels, ch, separable=sep)
        self.low_proj = conv_bn_relu(self.encoder.low_channels, low_ch, 1)
        self.decoder = nn.Sequential(conv_bn_relu(ch + low_ch, ch, 3, separable=sep),
                                     conv_bn_relu(ch, ch, 3, separable=sep))
        self.classifier = nn.Conv2d(ch, num_classes, 1)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        if image.shape[-2] % 16 or image.shape[-1] % 16:
            raise ValueError(f"input rows and columns must be multiples of 16, got {tuple(image.shape[-2:])}")
        low, high = self.encoder(image)
        x = self.aspp(high)
        # scale_factor (not size) so that the ONNX graph has static output dims; for inputs that are
        # multiples of 16 both give the same sampling positions.
        x = F.interpolate(x, scale_factor=4.0, mode="bilinear", align_corners=False)
        x = self.decoder(torch.cat([x, self.low_proj(low)], dim=1))
        x = self.classifier(x)
        return F.interpolate(x, scale_factor=4.0, mode="bilinear", align_corners=False)


def build_model(encoder: str = "mobilenet_v3", num_classes: int = 4) -> DeepLabV3Plus:
    return DeepLabV3Plus(encoder, num_classes)
