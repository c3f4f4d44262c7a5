// Log Analytics workspace and a workspace-based Application Insights resource that accepts only Entra-authenticated
// telemetry (local auth off), so no instrumentation key works as a write credential.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Name of the Log Analytics workspace.')
param logAnalyticsName string

@description('Name of the Application Insights resource.')
param appInsightsName string

@description('Days the workspace keeps data.')
param logRetentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    // Telemetry must come with an Entra token: the app's identity gets Monitoring Metrics Publisher (access.bicep).
    DisableLocalAuth: true
  }
}

@description('Name of the Application Insights resource.')
output appInsightsName string = appInsights.name
