"""Declarations of the training section of a preset: optimisers, schedulers and the rest.

The Hyperparameters panel, the validator and the help text are all generated from these tables.
"""

from __future__ import annotations

from playground.core.params import BOOL, CHOICE, FLOAT, INT, Param, ParamGroup

WEIGHT_DECAY = Param("weight_decay", FLOAT, 0.0, "Shrinks every weight a little at each step (the optimiser's "
                     "own L2 form; AdamW decouples it from the gradient).", minimum=0, maximum=1)
BETA1 = Param("beta1", FLOAT, 0.9, "Decay of the running mean of gradients (momentum).", minimum=0, maximum=1)
BETA2 = Param("beta2", FLOAT, 0.999, "Decay of the running mean of squared gradients.", minimum=0, maximum=1)
MOMENTUM = Param("momentum", FLOAT, 0.0, "Fraction of the previous update added to the next one; smooths and "
                 "speeds up descent.", minimum=0, maximum=0.999)

OPTIMIZERS: dict[str, ParamGroup] = {
    g.name: g
    for g in (
        ParamGroup("sgd", "Stochastic gradient descent: steps against the gradient, optionally with momentum.",
                   (MOMENTUM, Param("nesterov", BOOL, False, "Look-ahead momentum (needs momentum > 0)."),
                    WEIGHT_DECAY)),
        ParamGroup("adam", "Adam: per-weight step sizes from running gradient statistics; a robust default.",
                   (BETA1, BETA2, WEIGHT_DECAY)),
        ParamGroup("adamw", "Adam with decoupled weight decay; the usual choice for larger models.",
                   (BETA1, BETA2, WEIGHT_DECAY)),
        ParamGroup("rmsprop", "RMSprop: divides each step by a running average of squared gradients.",
                   (Param("alpha", FLOAT, 0.99, "Decay of the squared-gradient average.", minimum=0, maximum=1),
                    MOMENTUM, WEIGHT_DECAY)),
        ParamGroup("adagrad", "Adagrad: step sizes shrink for weights that have seen large gradients.",
                   (WEIGHT_DECAY,)),
    )
}

SCHEDULERS: dict[str, ParamGroup] = {
    g.name: g
    for g in (
        ParamGroup("none", "Keep the learning rate constant."),
        ParamGroup("step", "Multiply the learning rate by gamma every step_size steps.",
                   (Param("step_size", INT, 1000, "Steps between reductions.", minimum=1),
                    Param("gamma", FLOAT, 0.5, "Factor applied at each reduction.", minimum=0, maximum=1,
                          exclusive_minimum=True))),
        ParamGroup("cosine", "Lower the learning rate along a half cosine to min_lr over the run.",
                   (Param("min_lr", FLOAT, 0.0, "Learning rate reached at the last step.", minimum=0),)),
        ParamGroup("exponential", "Multiply the learning rate by gamma after every step.",
                   (Param("gamma", FLOAT, 0.999, "Factor applied at each step.", minimum=0, maximum=1,
                          exclusive_minimum=True),)),
    )
}

EARLY_STOPPING = ParamGroup(
    "early_stopping", "Stop when the test loss has not improved for a while.",
    (Param("patience", INT, None, "Evaluations without improvement before stopping; empty turns it off.",
           minimum=1, optional=True),
     Param("min_delta", FLOAT, 0.0, "Smallest drop in test loss that counts as an improvement.", minimum=0)),
)

LOSSES = ("auto", "cross_entropy", "mse", "l1", "huber")

TRAINING = ParamGroup(
    "training", "How the networks learn.",
    (
        Param("learning_rate", FLOAT, 0.03, "Size of each update step. Too high diverges, too low crawls.",
              minimum=0, maximum=1e6, exclusive_minimum=True, log_scale=True),
        Param("batch_size", INT, 10, "Training examples averaged in each step.", minimum=1, maximum=65536),
        Param("steps", INT, None, "Optimisation steps in a run (give steps or epochs).", minimum=0,
              maximum=10**9, optional=True),
        Param("epochs", INT, None, "Passes over the training set in a run (give steps or epochs).", minimum=0,
              maximum=10**7, optional=True),
        Param("l1", FLOAT, 0.0, "L1 penalty: adds l1 * sum|w| to the loss; pushes weights to exactly zero.",
              minimum=0, maximum=100),
        Param("l2", FLOAT, 0.0, "L2 penalty: adds l2 * sum w^2 to the loss; keeps weights small.", minimum=0,
              maximum=100),
        Param("grad_clip", FLOAT, None, "Largest allowed gradient norm; empty means no clipping.", minimum=0,
              exclusive_minimum=True, optional=True),
        Param("loss", CHOICE, "auto", "Loss function; auto picks cross-entropy for classification and mean "
              "squared error for regression.", choices=LOSSES),
        Param("eval_every", INT, 50, "Steps between evaluations of the test metrics.", minimum=1),
    ),
)

DEFAULT_STEPS = 1000
NESTED = ("optimizer", "scheduler", "early_stopping")
