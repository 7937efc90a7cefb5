"""What each task is, which networks it needs and what it asks of them - declarations only.

The validator reads this to check a preset before anything is built; each task's package implements
its part of training (``implementation``: the :class:`~playground.core.training.task.Task` subclass,
imported only when a preset needs it, so opening a 2-D classifier never loads the GAN or VAE code).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TaskType:
    name: str
    title: str
    help: str
    networks: tuple[str, ...]  # the networks a preset for this task must define, in order
    dataset_kinds: tuple[str, ...]  # the kinds of dataset it trains on
    losses: tuple[str, ...]  # allowed values of training.loss besides "auto"
    default_loss: str
    implementation: str  # "module:Class" of the task's hooks for the training loop
    roles: tuple[str, ...] = ("predictor",)  # each network's role, in the order of ``networks`` (see ROLES)
    extra_exports: tuple[str, ...] = ()  # exportable combinations beyond the networks ("encoder+decoder")

    @property
    def dataset_kind(self) -> str:
        """The kind of dataset a new experiment of this task starts with."""
        return self.dataset_kinds[0]


CLASSIFY = "playground.core.tasks.classify.task:ClassifyTask"
# what a network does in its task, which decides what it receives and must output:
ROLES = {
    "predictor": "the data in, one output per class or one value out",
    "generator": "the latent code in, a sample shaped like the data out (a GAN's generator, a VAE's decoder)",
    "critic": "the data in (packs of samples with PacGAN), one score out (a GAN's discriminator)",
    "encoder": "the data in, a flat vector out; the task adds the latent heads (a VAE's encoder)",
}

TASKS: dict[str, TaskType] = {
    t.name: t
    for t in (
        TaskType("classification", "Classification",
                 "Predict which class each point belongs to; scored by accuracy.",
                 ("main",), ("classification",), ("cross_entropy", "mse"), "cross_entropy", CLASSIFY),
        TaskType("image_classification", "Image classification",
                 "Predict which class each image shows; scored by accuracy and a confusion matrix.",
                 ("main",), ("image",), ("cross_entropy",), "cross_entropy", CLASSIFY),
        TaskType("regression", "Regression",
                 "Predict a number for each point; scored by mean squared error.",
                 ("main",), ("regression",), ("mse", "l1", "huber"), "mse", CLASSIFY),
        TaskType("gan", "GAN",
                 "A generator learns to turn random noise into samples that a discriminator cannot tell "
                 "from the real data; the two train against each other.",
                 ("generator", "discriminator"), ("distribution", "image"), (), "auto",
                 "playground.core.tasks.gan.task:GanTask", roles=("generator", "critic")),
        TaskType("vae", "VAE",
                 "A variational autoencoder: an encoder maps each image to a small random latent code and a "
                 "decoder rebuilds the image from it; the latent space organises itself as it trains.",
                 ("encoder", "decoder"), ("image",), (), "auto",
                 "playground.core.tasks.vae.task:VaeTask", roles=("encoder", "generator"),
                 extra_exports=("encoder+decoder",)),
    )
}


def role_of(task: str, network: str) -> str:
    spec = TASKS[task]
    return dict(zip(spec.networks, spec.roles, strict=True)).get(network, "predictor")


def network_inputs(task: str, data_shape: tuple[int, ...], latent_size: int | None,
                   pack: int = 1) -> dict[str, tuple[int, ...]]:
    """Per-sample input shape of each of the task's networks: a generator receives the latent code,
    every other network the data. A critic with ``pack`` > 1 (PacGAN) judges that many samples at once,
    joined along their first axis (features, or image channels)."""
    shapes = {}
    for network in TASKS[task].networks:
        role = role_of(task, network)
        if role == "generator":
            shapes[network] = (latent_size,)
        elif role == "critic" and data_shape:
            shapes[network] = (data_shape[0] * pack, *data_shape[1:])
        else:
            shapes[network] = tuple(data_shape)
    return shapes


def network_output_need(task: str, network: str, data_shape: tuple[int, ...] | None, n_classes: int | None) -> str:
    """What the task needs a network to output, in words (the builder's tab header shows it)."""
    shape = "the data's shape" if data_shape is None else "(" + ", ".join(map(str, data_shape)) + \
        ("," if len(data_shape) == 1 else "") + ")"
    role = role_of(task, network)
    if role == "generator":
        return f"a sample shaped like the data, {shape}"
    if role == "critic":
        return "1 score per sample (real or generated)"
    if role == "encoder":
        return "a flat vector; the task adds the latent mean and log-variance after it"
    if n_classes is None and task != "regression":
        return "one output per class (the data file decides how many)"
    return describe_outputs(task, n_classes)


def network_output_problem(task: str, network: str, out: tuple[int, ...], data_shape: tuple[int, ...],
                           n_classes: int | None) -> str | None:
    """Why a network's per-sample output does not suit the task, or None when it does."""
    role = role_of(task, network)
    if role == "generator":
        if tuple(out) != tuple(data_shape):
            return (f"the {network} outputs {list(out)} per sample, but it must produce samples shaped like the "
                    f"data, {list(data_shape)}")
        return None
    if role == "critic":
        return None if tuple(out) == (1,) else (f"the {network} outputs {list(out)} per sample, but it must "
                                                "output 1 score (real or generated)")
    if role == "encoder":  # the task adds the mean and log-variance heads after it
        return None if len(out) == 1 else (f"the {network} outputs {list(out)} per sample; end it with a flat "
                                           "vector (add Flatten), from which the task computes the latent "
                                           "mean and log-variance")
    allowed = required_outputs(task, n_classes)
    if allowed is not None and (len(out) != 1 or out[0] not in allowed):
        return f"the network outputs {list(out)} per sample, but {task} here needs {describe_outputs(task, n_classes)}"
    return None


def required_outputs(task: str, n_classes: int | None) -> tuple[int, ...] | None:
    """The output sizes the main network may have: k classes (or 1 logit when k == 2), or 1 value."""
    if task == "regression":
        return (1,)
    if n_classes is None:
        return None
    return (n_classes, 1) if n_classes == 2 else (n_classes,)


def describe_outputs(task: str, n_classes: int | None) -> str:
    if task == "regression":
        return "1 output (the predicted value)"
    if n_classes == 2:
        return "2 outputs (one per class) or 1 (a single logit)"
    return f"{n_classes} outputs (one per class)"
