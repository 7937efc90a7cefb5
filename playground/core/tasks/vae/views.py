"""What the GUI's VAE view draws, computed here on the worker thread as plain NumPy payloads.

``live_data`` is sent once per loaded run; ``live_view(detail)`` with every snapshot (a few a
second: reconstructions and the traversal grid, a few hundred small decodes at most); with
``detail`` (about once a second, and on pause or finish) also the test set's latent means for the
2-D map, the KL of every latent dimension and prior samples. ``view_request`` answers the view's
questions: "decode" (the sliders), "encode_index" (a click on the map), "interpolate" (the strip),
"traverse" and "sample_prior".

Pictures are (H, W) grey or (H, W, 3) colour arrays in [0, 1].

The 2-D map shows the two latent dimensions with the most KL on the test set (the ones that carry
the most information), in index order so the axes stay put while training reorders them.
"""

from __future__ import annotations

import numpy as np

from playground.core.tasks.vae.latent import TRAVERSAL_VALUES
from playground.core.tasks.vae.losses import ACTIVE_KL

PAIRS = 10
PRIOR_SAMPLES = 32
PRIOR_SEED = 7


def pictures(images: np.ndarray) -> np.ndarray:
    """(N, C, H, W) in [0, 1] -> (N, H, W) for one channel, (N, H, W, 3) for three (first channel otherwise)."""
    images = np.asarray(images, dtype=np.float32)
    if images.shape[1] == 3:
        return np.ascontiguousarray(images.transpose(0, 2, 3, 1))
    return np.ascontiguousarray(images[:, 0])


def pair_indices(labels: np.ndarray, count: int = PAIRS) -> list[int]:
    """Fixed test images for the input/reconstruction pairs: the first of each class, then the next ones."""
    labels = np.asarray(labels).reshape(-1)
    chosen: list[int] = []
    for cls in np.unique(labels):
        if len(chosen) < count:
            chosen.append(int(np.flatnonzero(labels == cls)[0]))
    for i in range(len(labels)):
        if len(chosen) >= count:
            break
        if i not in chosen:
            chosen.append(i)
    return sorted(chosen, key=lambda i: (int(labels[i]), i))


def map_dims(kl: np.ndarray | None, size: int) -> tuple[int, int | None]:
    if size == 1:
        return 0, None
    if kl is None:
        return 0, 1
    top = sorted(np.argsort(-np.asarray(kl), kind="stable")[:2].tolist())
    return int(top[0]), int(top[1])


def live_data(trainer) -> dict:
    data = trainer.data
    labels = np.asarray(data.y_test).reshape(-1).astype(np.int64)
    return {
        "latent_size": trainer.latent_size,
        "image_shape": tuple(data.input_shape),
        "class_names": list(data.class_names),
        "test_labels": labels,
        "n_test": int(data.n_test),
        "pair_indices": pair_indices(labels),
        "reconstruction": trainer.reconstruction,
        "traversal_values": list(TRAVERSAL_VALUES),
        "factors": sorted(getattr(data, "factors_test", {}) or {}),
    }


def live_view(trainer, detail: bool = False) -> dict:
    latent = trainer.latent
    data = trainer.data
    out: dict = {"step": trainer.step_count, "beta": trainer.beta}
    if detail:
        means, log_var = latent.encode_full(data.x_test)
        kl = (0.5 * (means ** 2 + np.exp(log_var) - 1.0 - log_var)).mean(axis=0)
        trainer.last_kl = [float(v) for v in kl]
        trainer.kl_order = [int(i) for i in np.argsort(-kl, kind="stable")]
        dims = map_dims(kl, trainer.latent_size)
        ys = means[:, dims[1]] if dims[1] is not None else np.zeros(len(means), np.float32)
        out["kl"] = kl.astype(np.float64)
        out["active_units"] = int((kl > ACTIVE_KL).sum())
        out["map"] = {"dims": dims, "points": np.stack([means[:, dims[0]], ys], axis=1).astype(np.float32),
                      "labels": np.asarray(data.y_test).reshape(-1).astype(np.int64)}
        out["samples"] = pictures(latent.sample_prior(PRIOR_SAMPLES, PRIOR_SEED))
    indices = pair_indices(np.asarray(data.y_test))
    inputs = data.x_test[indices]
    out["pairs"] = {"indices": indices, "inputs": pictures(data.for_display(inputs)),
                    "outputs": pictures(latent.decode(latent.encode(inputs)))}
    order = list(trainer.kl_order)
    grid = latent.traversal_grid(order)
    out["traversal"] = {"dims": order, "values": list(TRAVERSAL_VALUES),
                        "kl": None if trainer.last_kl is None else [trainer.last_kl[d] for d in order],
                        "images": np.stack([pictures(row) for row in grid])}
    return out


def view_request(trainer, name: str, args=None):
    latent = trainer.latent
    data = trainer.data
    if name == "decode":
        code = np.asarray(args, dtype=np.float32).reshape(-1)
        return {"code": code, "image": pictures(latent.decode(code))[0]}
    if name == "encode_index":
        index = _test_index(trainer, args)
        mean, log_var = latent.encode_full(data.x_test[index:index + 1])
        label = int(np.asarray(data.y_test).reshape(-1)[index])
        return {"index": index, "label": label, "class_name": str(data.class_names[label]),
                "image": pictures(data.for_display(data.x_test[index:index + 1]))[0],
                "mean": mean[0], "std": np.exp(0.5 * log_var[0]), "decoded": pictures(latent.decode(mean))[0]}
    if name == "interpolate":
        a, b, n = args
        a, b = _test_index(trainer, a), _test_index(trainer, b)
        images, codes = latent.interpolate(data.x_test[a], data.x_test[b], int(n))
        return {"a": a, "b": b, "images": pictures(images), "codes": codes}
    if name == "traverse":
        dim, values = args
        return {"dim": int(dim), "values": list(values), "images": pictures(latent.traverse(int(dim), values))}
    if name == "sample_prior":
        n, seed = args if isinstance(args, (tuple, list)) else (args, PRIOR_SEED)
        return {"images": pictures(latent.sample_prior(int(n), int(seed)))}
    raise ValueError(f"unknown VAE view request {name!r}; expected decode, encode_index, interpolate, traverse "
                     "or sample_prior")


def _test_index(trainer, value) -> int:
    index = int(value)
    if not 0 <= index < trainer.data.n_test:
        raise ValueError(f"test image {index} does not exist (0 to {trainer.data.n_test - 1})")
    return index
