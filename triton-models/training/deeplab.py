"""DeepLabV3+ for the spine_segmentation model (see ../CONTRACT.md).

ASPP on output-stride-16 encoder features, a decoder that fuses stride-4 low-level features, and a
1x1 classifier; logits are upsampled bilinearly to the input size. Two encoders:
  * ``mobilenet_v3``: torchvision mobilenet_v3_large features (dilated last stage -> stride 16),
    with depthwise-separable ASPP/decoder convs of 128 channels (light: ~4.5 M parameters).
  * ``mobilenet_v3_r2``: the same, plus a refinement stage at stride 2 (``StrideTwoRefinement``):
    stride-4 logits bilinearly upsampled to stride 2 plus a residual computed from them, the
    decoder features and the encoder's stride-2 features. Its last convolution starts at zero, so
    a ``mobilenet_v3`` checkpoint loaded into it (``load_compatible``) predicts what it predicted
    before and training only has to learn the finer boundary. Why: logits on a stride-4 grid (3.2 mm
    at the contract's 0.8 mm pixels) cannot draw a disc a few millimetres high; the reference masks
    themselves, taken to 3.2 mm and back, score disc Dice 0.89, at 1.6 mm 0.95 (label_grid_ceiling.py).
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

ENCODERS = ("mobilenet_v3", "mobilenet_v3_r2", "resnet50")


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


class StrideTwoRefinement(nn.Module):
    """Residual refinement of stride-4 logits on the stride-2 grid (depthwise-separable, 32 channels)."""

    def __init__(self, decoder_channels: int, stride2_channels: int, num_classes: int, ch: int = 32):
        super().__init__()
        self.decoder_proj = conv_bn_relu(decoder_channels, ch, 1)
        self.stride2_proj = conv_bn_relu(stride2_channels, ch, 1)
        # A 1x1 mix first, so that the depthwise convolutions run over 32 channels rather than the
        # 69 concatenated ones (an odd channel count that oneDNN's depthwise kernels handle slowly).
        self.body = nn.Sequential(conv_bn_relu(2 * ch + num_classes, ch, 1),
                                  conv_bn_relu(ch, ch, 3, separable=True),
                                  conv_bn_relu(ch, ch, 3, separable=True))
        self.out = nn.Conv2d(ch, num_classes, 1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, decoder: torch.Tensor, logits4: torch.Tensor, stride2: torch.Tensor) -> torch.Tensor:
        up = lambda t: F.interpolate(t, scale_factor=2.0, mode="bilinear", align_corners=False)  # noqa: E731
        logits2 = up(logits4)
        r = self.body(torch.cat([up(self.decoder_proj(decoder)), self.stride2_proj(stride2), logits2], dim=1))
        return logits2 + self.out(r)


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
        if encoder in ("mobilenet_v3", "mobilenet_v3_r2"):
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
        # The encoder's stride-2 features: mobilenet_v3_large features[1] has 16 channels.
        self.refine = StrideTwoRefinement(ch, 16, num_classes) if encoder == "mobilenet_v3_r2" else None

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        if image.shape[-2] % 16 or image.shape[-1] % 16:
            raise ValueError(f"input rows and columns must be multiples of 16, got {tuple(image.shape[-2:])}")
        if self.refine is not None:
            stride2 = self.encoder.low[:2](image)
            low = self.encoder.low[2:](stride2)
            high = self.encoder.high(low)
        else:
            low, high = self.encoder(image)
        x = self.aspp(high)
        # scale_factor (not size) so that the ONNX graph has static output dims; for inputs that are
        # multiples of 16 both give the same sampling positions.
        x = F.interpolate(x, scale_factor=4.0, mode="bilinear", align_corners=False)
        x = self.decoder(torch.cat([x, self.low_proj(low)], dim=1))
        logits = self.classifier(x)
        if self.refine is not None:
            return F.interpolate(self.refine(x, logits, stride2), scale_factor=2.0, mode="bilinear",
                                 align_corners=False)
        return F.interpolate(logits, scale_factor=4.0, mode="bilinear", align_corners=False)


def build_model(encoder: str = "mobilenet_v3", num_classes: int = 4) -> DeepLabV3Plus:
    return DeepLabV3Plus(encoder, num_classes)


def load_compatible(model: DeepLabV3Plus, state: dict) -> list[str]:
    """Load a checkpoint's weights; a ``mobilenet_v3`` state into ``mobilenet_v3_r2`` leaves the
    (zero-output) refinement stage as initialised. Returns the keys left as initialised; any other
    mismatch is an error."""
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or any(not k.startswith("refine.") for k in missing):
        raise ValueError(f"checkpoint does not fit the model: missing {missing}, unexpected {unexpected}")
    return list(missing)
