// Production: zone-redundant storage for the ledger, longer log retention, the longest vault recovery window.
using '../main.bicep'

param environmentName = 'prod'
param maximumInstanceCount = 100
param instanceMemoryMB = 2048
param storageSku = 'Standard_ZRS'
param logRetentionInDays = 90
param keyVaultSoftDeleteRetentionInDays = 90
