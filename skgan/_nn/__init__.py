"""The networks (``nn.Module``) of the generator and the discriminator, and the losses.

``table``: residual MLPs over encoded rows; ``image``: DCGAN-style
convolutional networks; ``losses``: the adversarial losses.
"""
