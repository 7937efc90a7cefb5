"""A VAE's figures on the whole train and test sets, as flat floats (what ``VaeTask.evaluate`` returns).

Per split (``train_``/``test_`` prefixes):

- ``reconstruction`` and ``kl``: the two terms of the negative ELBO, per image (nats). The
  reconstruction term samples one code per image with a generator seeded afresh at every call,
  so evaluation is deterministic and never disturbs training's random streams.
- ``total`` = ``loss``: reconstruction + KL, the negative ELBO (beta does not enter: it is a property
  of the model, comparable across runs with different betas).
- ``squared_error``: the sum of squared pixel errors per image when the image is rebuilt from its
  latent *mean* (no noise) - the error a PCA baseline is measured with.
- ``active_units``: latent dimensions whose average KL is above 0.01 nats.

Test only: ``test_kl_dim{i}`` per latent dimension; ``test_pca_squared_error``, a PCA with as many
components as the latent size, fitted on the training images and measured the same way, and
``test_error_vs_pca`` (the VAE's squared error over PCA's: below 1 means the VAE rebuilds better);
for datasets that keep their generating factors (shapes), ``test_factor_{name}``: the largest
|Pearson correlation| between any latent mean and that factor, and ``test_position_corr``: the best
of min(|corr(x)|, |corr(y)|) over two *different* latent dimensions (both positions captured, each
by its own dimension).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from playground.core.build import network_seed
from playground.core.tasks.vae.losses import ACTIVE_KL, kl_per_dimension, reconstruction_per_sample

CHUNK = 1024
NUMERIC_FACTORS = ("x", "y", "scale", "rotation")


def evaluate(trainer) -> dict:
    result: dict = {}
    with evaluation_mode(trainer):
        for split, x in (("train", trainer.x_train), ("test", trainer.x_test)):
            terms = split_terms(trainer, x)
            kl_dims = terms["kl_dims"]
            total = terms["reconstruction"] + float(kl_dims.sum())
            result[f"{split}_loss"] = total
            result[f"{split}_total"] = total
            result[f"{split}_reconstruction"] = terms["reconstruction"]
            result[f"{split}_kl"] = float(kl_dims.sum())
            result[f"{split}_squared_error"] = terms["squared_error"]
            result[f"{split}_active_units"] = float((kl_dims > ACTIVE_KL).sum())
            if split == "test":
                result.update({f"test_kl_dim{i}": float(v) for i, v in enumerate(kl_dims)})
                result.update(factor_scores(terms["means"], getattr(trainer.data, "factors_test", {}) or {}))
    pca = pca_squared_error(trainer)
    result["test_pca_squared_error"] = pca
    result["test_error_vs_pca"] = result["test_squared_error"] / pca if pca > 0 else math.inf
    return result


class evaluation_mode:  # noqa: N801 - used like a function: ``with evaluation_mode(trainer):``
    """Both networks in eval mode without gradients; their previous modes come back afterwards."""

    def __init__(self, trainer) -> None:
        self.trainer = trainer

    def __enter__(self):
        self.modes = {name: net.training for name, net in self.trainer.networks.items()}
        for net in self.trainer.networks.values():
            net.eval()
        self.grad = torch.no_grad()
        self.grad.__enter__()
        return self

    def __exit__(self, *exc):
        self.grad.__exit__(*exc)
        for name, net in self.trainer.networks.items():
            net.train(self.modes[name])
        return False


def split_terms(trainer, x: torch.Tensor) -> dict:
    """Per-image averages over ``x`` (call inside :class:`evaluation_mode`): reconstruction (one sampled
    code each, seeded), KL per dimension (numpy), squared error from the means; and the means (numpy)."""
    generator = torch.Generator(device="cpu").manual_seed(network_seed(trainer.preset.seed, "vae.evaluation"))
    rec_sum, se_sum = 0.0, 0.0
    kl_sum = torch.zeros(trainer.latent_size, dtype=torch.float64)
    means = []
    for start in range(0, len(x), CHUNK):
        batch = x[start:start + CHUNK]
        mean, log_var = trainer.encoder.encode(batch)
        z = mean + (0.5 * log_var).exp() * trainer.noise_like(mean, generator)
        rec_sum += float(reconstruction_per_sample(trainer.decoder_output(z), batch, trainer.reconstruction).sum())
        kl_sum += kl_per_dimension(mean, log_var).sum(dim=0).double().cpu()
        se_sum += float((trainer.decoded_means(mean) - batch).pow(2).flatten(1).sum(dim=1).sum())
        means.append(mean.cpu().numpy())
    n = max(len(x), 1)
    return {"reconstruction": rec_sum / n, "kl_dims": (kl_sum / n).numpy(), "squared_error": se_sum / n,
            "means": np.concatenate(means) if means else np.zeros((0, trainer.latent_size), np.float32)}


def correlations(means: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """Pearson correlation of each latent dimension's mean with one factor (0 where either is constant)."""
    m = np.asarray(means, dtype=np.float64)
    f = np.asarray(factor, dtype=np.float64)
    m = m - m.mean(axis=0)
    f = f - f.mean()
    denominator = np.sqrt((m * m).sum(axis=0) * (f * f).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = (m * f[:, None]).sum(axis=0) / denominator
    return np.nan_to_num(corr, nan=0.0, posinf=0.0, neginf=0.0)


def factor_scores(means: np.ndarray, factors: dict) -> dict:
    scores: dict = {}
    found = {}
    for name in NUMERIC_FACTORS:
        if name in factors and len(factors[name]) == len(means) and np.ptp(factors[name]) > 0:
            found[name] = np.abs(correlations(means, factors[name]))
            scores[f"test_factor_{name}"] = float(found[name].max())
    if "x" in found and "y" in found and means.shape[1] >= 2:
        cx, cy = found["x"], found["y"]
        scores["test_position_corr"] = float(max(min(cx[i], cy[j]) for i in range(len(cx)) for j in range(len(cy))
                                                 if i != j))
    return scores


def pca_squared_error(trainer) -> float:
    """Test squared error per image of a PCA with ``latent_size`` components fitted on the training
    images (computed once per run: it depends only on the data)."""
    k = trainer.latent_size
    if k not in trainer._pca_cache:
        train = trainer.data.x_train.reshape(trainer.data.n_train, -1).astype(np.float64)
        test = trainer.data.x_test.reshape(trainer.data.n_test, -1).astype(np.float64)
        trainer._pca_cache[k] = pca_error(train, test, k)
    return trainer._pca_cache[k]


def pca_error(train: np.ndarray, test: np.ndarray, components: int) -> float:
    """Mean over test rows of the summed squared error after projecting on the top principal components."""
    centre = train.mean(axis=0)
    _, _, vt = np.linalg.svd(train - centre, full_matrices=False)
    basis = vt[:components]
    rebuilt = centre + (test - centre) @ basis.T @ basis
    return float(((test - rebuilt) ** 2).sum(axis=1).mean())
