namespace Obscura.Data;

/// <summary>The formats a data folder can hold.</summary>
public enum DataFormat
{
    FashionMnist,
    Cifar10,
    ImageFolder,
    Numpy,
}
